
BY_gradJ¤}>w?