
BB_gradJ°’>iF@VX¿ê`’¿