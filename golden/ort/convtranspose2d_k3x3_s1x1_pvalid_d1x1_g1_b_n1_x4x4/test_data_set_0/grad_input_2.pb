
BB_gradJì¿"·ú@lƒJ@A