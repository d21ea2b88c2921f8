
BB_gradJ
sĞ?SÀ^$è¿XäbÀ