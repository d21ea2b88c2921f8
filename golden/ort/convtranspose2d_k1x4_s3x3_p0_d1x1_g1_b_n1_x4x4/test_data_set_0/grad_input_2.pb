
BB_gradJ÷Al‹²ÀX¯ÀšQê@