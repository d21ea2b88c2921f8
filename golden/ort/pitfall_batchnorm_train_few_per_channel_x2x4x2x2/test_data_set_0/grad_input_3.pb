
Binput_mean_gradJ›9?/4V¿-µ>å¤½¾