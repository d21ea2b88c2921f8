
BB_gradJğvv¾r?Şş×¿}Ç?