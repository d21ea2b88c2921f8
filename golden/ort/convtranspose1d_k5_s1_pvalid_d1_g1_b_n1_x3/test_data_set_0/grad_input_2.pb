
BB_gradJ/MŒ¿|…­?vÅÀ ©°=