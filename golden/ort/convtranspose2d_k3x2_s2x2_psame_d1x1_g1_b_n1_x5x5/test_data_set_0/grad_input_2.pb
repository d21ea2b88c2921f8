
BB_gradJ3FÀI'A¶mÁöfÇÀ