
BB_gradJ,CõÀ` ^@°˜ó½¿QQÀ