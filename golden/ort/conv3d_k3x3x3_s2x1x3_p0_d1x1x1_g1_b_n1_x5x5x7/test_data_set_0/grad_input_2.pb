
BB_gradJז.~¿ןתµ¿ּTח>Iu?