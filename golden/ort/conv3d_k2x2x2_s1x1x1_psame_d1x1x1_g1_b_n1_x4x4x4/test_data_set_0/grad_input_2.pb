
BB_gradJÁ¿”@txñ@ÙÀ¿°÷J¿