
BB_gradJtvñ>Íf¾¨ª¾’µ0¿