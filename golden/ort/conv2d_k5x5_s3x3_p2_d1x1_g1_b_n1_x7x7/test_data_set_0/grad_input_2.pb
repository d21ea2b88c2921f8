
BB_gradJUë¿n%×¿DÚ ¿S51À