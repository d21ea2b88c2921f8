
Bfc.bias_gradJ(pú#¾Xª?pµ>_uÙ?€ø2>€=0¼à~½4É¥¾Rñ¿Hü?