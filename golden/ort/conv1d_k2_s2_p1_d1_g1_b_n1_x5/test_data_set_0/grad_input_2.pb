
BB_gradJ¢ØP¿’Jy¿ÂôO?š¸Ú¿