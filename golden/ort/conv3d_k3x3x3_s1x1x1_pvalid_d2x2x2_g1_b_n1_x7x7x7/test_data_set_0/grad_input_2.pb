
BB_gradJ8s@â‘•?;¢À