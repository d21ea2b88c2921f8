
BB_gradJd­µ?N?ú?V©­¿rkX¿