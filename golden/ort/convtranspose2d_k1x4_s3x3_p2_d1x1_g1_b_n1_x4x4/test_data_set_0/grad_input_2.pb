
BB_gradJ48 ÀQ]Ê¿H¨á@quš@