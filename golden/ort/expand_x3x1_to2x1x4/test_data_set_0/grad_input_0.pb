
BX_gradJ×?hd
¿D6!?