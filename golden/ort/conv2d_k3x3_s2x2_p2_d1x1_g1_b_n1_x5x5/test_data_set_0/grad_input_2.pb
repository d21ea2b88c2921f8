
BB_gradJ†œI?”À]À¢½D@"v?