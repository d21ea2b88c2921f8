
BB_gradJNèf?!¯Ä¿œ±O¿\â(À