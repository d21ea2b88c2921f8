
BB_gradJ1{¢¿ğr¦¾xäC?@CÉ¼