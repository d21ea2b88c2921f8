
BB_gradJÆ«ü@¹ú¾@3®A