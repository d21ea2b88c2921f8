
BB_gradJ€A?sAÛ?.6@8¿©@