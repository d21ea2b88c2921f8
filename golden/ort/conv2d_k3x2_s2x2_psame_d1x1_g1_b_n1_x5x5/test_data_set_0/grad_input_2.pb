
BB_gradJ'·>Á¸¾×Mê? KÆ>