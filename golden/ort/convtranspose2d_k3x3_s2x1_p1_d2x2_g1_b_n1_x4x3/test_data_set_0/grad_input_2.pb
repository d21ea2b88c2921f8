
BB_gradJ®A@¶¥oÀØZ?Ò¶”À