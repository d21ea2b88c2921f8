
BB_gradJ‚¨ÇÀhSë?Ä‹@¸Q?