
BB_gradJ)z–?v°¿P1b?0∑1ø