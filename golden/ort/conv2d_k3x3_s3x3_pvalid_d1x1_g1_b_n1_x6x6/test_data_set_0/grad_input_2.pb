
BB_gradJHnë¾Y¿d—?¤«¾