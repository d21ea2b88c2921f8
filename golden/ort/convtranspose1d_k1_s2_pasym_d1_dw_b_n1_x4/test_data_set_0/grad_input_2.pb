
BB_gradJ|ğFÀÒZA¿ú‰Æ¿2É¿‹Î°¿is@