
BB_gradJ'ø@FÌß@ü8ö¿