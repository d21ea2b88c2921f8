
BB_gradJc‘ü?Ž}Àc×ú?x?