
BY_gradJ²­G¿ÿ>