
BY2_gradJ†—¿P„=°µ¿