
BB_gradJ)H@pšô?@D?ìp@