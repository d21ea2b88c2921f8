
BY_gradJ¨—›>