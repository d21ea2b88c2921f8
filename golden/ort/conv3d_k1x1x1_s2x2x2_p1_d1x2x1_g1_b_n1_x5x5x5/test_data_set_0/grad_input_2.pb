
BB_gradJ	â²¿0Œì?PS@