
B
scale_gradJ©ª”?XÇ¶¾›@¤>