
BB_gradJRX)¿DG’¾Ð-®?1Y‚?