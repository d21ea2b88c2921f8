
BB_gradJ·òÊ¿ï!AZwñÀîĞy?