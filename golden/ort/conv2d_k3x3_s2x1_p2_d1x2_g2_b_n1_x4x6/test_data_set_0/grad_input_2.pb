
BB_gradJ–„3Àr(L@¸¸X¾”H¿ëÆ¿œK%¿