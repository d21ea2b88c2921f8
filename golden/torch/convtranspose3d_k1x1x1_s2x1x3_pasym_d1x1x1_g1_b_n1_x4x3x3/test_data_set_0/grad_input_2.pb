BB_gradJ
¶š?ël@®G@¨0¿