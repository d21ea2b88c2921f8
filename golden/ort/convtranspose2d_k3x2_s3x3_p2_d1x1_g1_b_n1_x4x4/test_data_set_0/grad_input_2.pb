
BB_gradJ2nz?˜Q/ÀÂ@[ÂGÀ