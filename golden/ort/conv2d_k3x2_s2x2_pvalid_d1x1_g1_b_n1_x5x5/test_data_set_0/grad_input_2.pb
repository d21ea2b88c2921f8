
BB_gradJæ',?þw&¿ÌQš?\{E?