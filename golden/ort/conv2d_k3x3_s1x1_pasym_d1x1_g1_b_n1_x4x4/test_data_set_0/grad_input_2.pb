
BB_gradJÀwö¾„<«¾`Pp¾ºÁ¿