
BB_gradJĞ@4n¿Æ<@o@