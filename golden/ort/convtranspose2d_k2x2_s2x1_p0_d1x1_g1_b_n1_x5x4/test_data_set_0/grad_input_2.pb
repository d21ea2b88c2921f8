
BB_gradJ~Ã@ w‡=, K@Ÿ7ž?