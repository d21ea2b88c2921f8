
BB_gradJ=}xÁzÎÁz:6@ gÀ