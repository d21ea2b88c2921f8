
BB_gradJ?µ?JäE¿ü¿Œk†>