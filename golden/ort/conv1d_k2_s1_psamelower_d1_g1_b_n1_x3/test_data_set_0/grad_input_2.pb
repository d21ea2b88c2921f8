
BB_gradJ Y¾ÚM¿„wž¿EYþ?