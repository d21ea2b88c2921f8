
BB_gradJ´ƒÀ8ÕA¼V@´„À