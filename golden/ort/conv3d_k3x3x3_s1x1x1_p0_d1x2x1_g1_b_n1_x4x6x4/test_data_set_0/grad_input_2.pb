
BB_gradJ²‡Ÿ¿¼žø>B™g¿