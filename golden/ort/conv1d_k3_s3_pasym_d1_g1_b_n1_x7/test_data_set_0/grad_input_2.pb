
BB_gradJ€B>&F,?ü¿ÔJ®>