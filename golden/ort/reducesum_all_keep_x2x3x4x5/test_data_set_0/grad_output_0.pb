
BY_gradJ,ฉพ