
BB_gradJÚ–?Fí
?Ç—¿âqj?