
BB_gradJ,hŠ>yÎ“¿Á3„¿ðD@