
BB_gradJ¤}>w?