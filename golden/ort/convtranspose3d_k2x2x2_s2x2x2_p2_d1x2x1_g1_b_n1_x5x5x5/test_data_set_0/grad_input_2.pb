
BB_gradJ}´@µ@Á¼p+A