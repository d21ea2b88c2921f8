
BY_gradJ°È?PÌ¿¾€|<>TkG?