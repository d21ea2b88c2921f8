
BB_gradJ~Ÿ;?Zk©¿x‡½0w>€ã>?Fu¥?