
BB_gradJ’L!¿üL?@Pç½