
BB_gradJ^
V¿ªv(¿ÌYw¿8œØ>