
BB_gradJ™PU@*gò¿‚í7Àl§˜¾î^¿U.ñ¿