
BB_gradJö¦@šÃAÀ