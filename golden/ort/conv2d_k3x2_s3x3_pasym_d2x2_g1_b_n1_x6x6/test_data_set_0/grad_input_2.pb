
BB_gradJt¼ë¾ø(B¿Ô*e?ÀFÐ¼