
BB_gradJ´º²>t7@†ð!@