
BB_gradJ╔┤ютb%юэ:╬