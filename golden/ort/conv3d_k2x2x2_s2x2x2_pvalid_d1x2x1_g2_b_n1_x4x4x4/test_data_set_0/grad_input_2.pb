
BB_gradJ‚¼f¿Ä¾?¿M¡@m\?