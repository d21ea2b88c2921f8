
BY_gradJ†Y`?¤Œ?\i¿j(?