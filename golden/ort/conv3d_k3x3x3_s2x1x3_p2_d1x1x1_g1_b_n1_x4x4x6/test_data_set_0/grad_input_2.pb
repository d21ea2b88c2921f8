
BB_gradJÆ¥T?xr-@¾_À3|@