
BB_gradJ$¿EÏÃ?noaÀ(¶À