
BB_gradJ°È?PÌ¿¾€|<>TkG?