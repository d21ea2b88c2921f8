
BY_gradJ’(-?æe`?