
BB_gradJ/Ş'@qĞ£?ºˆÒÀPnë=