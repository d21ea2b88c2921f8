
BY_gradJ°`¿=èek¿