
BB_gradJ|Ûƒ¾~C?@4 ¿ªwB?