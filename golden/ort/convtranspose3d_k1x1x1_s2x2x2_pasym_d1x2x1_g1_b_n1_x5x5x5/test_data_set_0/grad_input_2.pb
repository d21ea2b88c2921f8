
BB_gradJŒU@ÌqÛ¿Úá°@