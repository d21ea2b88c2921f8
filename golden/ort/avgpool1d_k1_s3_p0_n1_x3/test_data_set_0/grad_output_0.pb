
BY_gradJ?XAÃ>