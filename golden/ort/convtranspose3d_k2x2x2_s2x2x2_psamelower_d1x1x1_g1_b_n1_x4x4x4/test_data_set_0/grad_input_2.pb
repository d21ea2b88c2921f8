
BB_gradJ╚юAбе▌AE(а√4а