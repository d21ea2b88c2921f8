
BB_gradJt±‰¾©?X_Z¿|0¿