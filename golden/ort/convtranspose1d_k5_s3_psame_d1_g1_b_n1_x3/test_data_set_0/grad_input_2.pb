
BB_gradJUvœ¿ø‰‘¿xÔÜ>á¤ª?