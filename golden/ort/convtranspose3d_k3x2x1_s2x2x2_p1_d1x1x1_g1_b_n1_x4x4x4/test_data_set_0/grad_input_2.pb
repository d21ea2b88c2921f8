
BB_gradJÎIW¿›Áè€Áÿ’W@