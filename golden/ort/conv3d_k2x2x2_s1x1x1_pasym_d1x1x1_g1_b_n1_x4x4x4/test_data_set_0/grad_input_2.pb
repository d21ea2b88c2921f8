
BB_gradJ q@¬UÁ¿\‡¾@ÉÍÀ