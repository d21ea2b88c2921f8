
BB_gradJ£ ?ñ2Àl‚ÀcˆÀ