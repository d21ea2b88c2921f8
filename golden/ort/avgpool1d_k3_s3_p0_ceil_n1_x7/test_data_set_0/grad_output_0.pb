
BY_gradJ Ër?BNw¿¬d?à²—=ŒNÎ>ma?