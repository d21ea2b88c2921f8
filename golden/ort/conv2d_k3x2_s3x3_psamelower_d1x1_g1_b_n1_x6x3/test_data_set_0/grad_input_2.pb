
BB_gradJpýá½lb
¿:?oƒ?