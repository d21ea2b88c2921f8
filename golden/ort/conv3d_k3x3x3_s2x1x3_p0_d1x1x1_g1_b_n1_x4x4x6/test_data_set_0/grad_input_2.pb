
BB_gradJoX­¿®ñ4Àà—İ½¸ÿj¿