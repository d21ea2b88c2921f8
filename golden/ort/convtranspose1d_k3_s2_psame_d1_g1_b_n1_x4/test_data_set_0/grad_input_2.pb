
BB_gradJkñÄ¿ĞY/¾É²Ê?ˆc¿