
BB_gradJzı@‹ç3Aì¤¤@cÁ