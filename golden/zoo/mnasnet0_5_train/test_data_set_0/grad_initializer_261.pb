
Bclassifier.1.bias_gradJ(bè¿â,6?¶ôŸ?–.¿L ¿?\êt¿„Ýˆ¾SÒ¥?¤æ_¿½»¿