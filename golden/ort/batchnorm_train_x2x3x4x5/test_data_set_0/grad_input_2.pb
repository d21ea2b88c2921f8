
BB_gradJ-dÀ|õFÀ†)§¿