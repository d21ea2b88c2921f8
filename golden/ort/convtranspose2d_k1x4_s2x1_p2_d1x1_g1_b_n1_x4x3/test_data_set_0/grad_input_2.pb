
BB_gradJ†Wc¿%qÀ¾’Ã¿lÕ>