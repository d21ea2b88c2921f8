
BB_gradJaÛ?ğ¾TÙ¿F¿