Bstage2.3.branch2.6.weight_gradJ@"TxmpÂÀ“<WöæÀòCÑªá?ªÏÿ$´»À¡ÌÕ¾ßÌÀ~U/kú?êç
¼„ÀQ6&#Mò?