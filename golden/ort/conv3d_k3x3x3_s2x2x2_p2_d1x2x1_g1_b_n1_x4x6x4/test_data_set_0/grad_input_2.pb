
BB_gradJ˜5d>R)¿èa6@