
BB_gradJ@@‚½Ê&d?aÄ¿0]k¿