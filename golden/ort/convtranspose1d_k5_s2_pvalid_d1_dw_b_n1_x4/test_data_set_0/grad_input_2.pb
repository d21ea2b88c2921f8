
BB_gradJpƒ²>b+@x,@f‘@ÛÑ¿?$Va¿