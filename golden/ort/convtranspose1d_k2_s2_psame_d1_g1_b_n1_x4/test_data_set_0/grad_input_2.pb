
BB_gradJÂ¿c`ÀÚ³X?Jw²¿