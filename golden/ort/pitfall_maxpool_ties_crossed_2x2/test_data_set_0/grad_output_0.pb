
BY_gradJ •»¾