
BB_gradJ ™р>k'љїPлС>HХ>