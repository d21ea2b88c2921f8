
BY_gradJ 1n¾ ‘Œ>