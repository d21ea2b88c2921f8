
BB_gradJ)B@Q¹¿x·W¿ÎOi?