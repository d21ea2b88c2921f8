
BY_gradJ|Ûƒ¾~C?@4 ¿ªwB?