
BB_gradJ–ñÁ¬PËÁ2@óOg@