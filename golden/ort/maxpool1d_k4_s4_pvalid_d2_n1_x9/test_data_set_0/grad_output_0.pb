
BY_gradJ€ƒq?<ïñ¾