
BB_gradJvG?p9‹¿¤Ã4@¼Ã¾