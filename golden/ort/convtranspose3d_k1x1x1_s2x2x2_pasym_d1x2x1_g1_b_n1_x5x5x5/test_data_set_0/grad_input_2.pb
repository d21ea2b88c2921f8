
BB_gradJŒU@ÌqÛ¿Úá°@KşÀ