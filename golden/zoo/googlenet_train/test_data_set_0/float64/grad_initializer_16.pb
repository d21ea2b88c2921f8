B"inception3a.branch1.bn.weight_gradJ WLØ”ˆ´à¿ñÔ€ú¢À(öi@&FÔÑ$
ò¿