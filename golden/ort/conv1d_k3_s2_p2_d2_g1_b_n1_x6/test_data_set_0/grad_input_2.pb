
BB_gradJ/ºˆ¿ˆ>Ñ>pgh>Ö!á?