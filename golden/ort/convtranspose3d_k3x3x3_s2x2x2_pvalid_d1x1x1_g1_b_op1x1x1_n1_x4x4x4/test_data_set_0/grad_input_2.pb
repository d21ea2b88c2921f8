
BB_gradJ1@æ„O¿Ói\A