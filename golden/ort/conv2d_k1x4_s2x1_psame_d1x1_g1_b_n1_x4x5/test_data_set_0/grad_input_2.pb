
BB_gradJû«GÀ>qf¿
÷k¿î"IÀ