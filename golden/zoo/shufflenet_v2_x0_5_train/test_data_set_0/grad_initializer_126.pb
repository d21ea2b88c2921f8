Bstage3.2.branch2.6.weight_gradJ@O
?ïs>Â‹e=¤"À°¦‰¾:Žá¿2%c¿Û3¤¿½"ü§¾œ@·(SÀ›• >º[À+ì›?6p?