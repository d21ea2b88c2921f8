
BY_gradJ€wy¿po?Öã¾°ö~¾€l‹¾öv?