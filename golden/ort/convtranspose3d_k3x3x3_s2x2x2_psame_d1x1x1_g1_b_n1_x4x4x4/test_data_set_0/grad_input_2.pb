
BB_gradJ„B-@>ÕUAZ–„ÁÏA