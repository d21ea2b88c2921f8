B2features.denseblock1.denselayer5.norm1.weight_gradJ€‘¨ÃFd´¿·í¶(¢ÿ¼¿rPáÂ~°?şwÇ•÷Ô¿Šˆ÷‰’y¿%‘Âx»¥?Ş
ÿ”†¿g6ª*(?½¿‡†¬ø´¿D‡“;•%¤?-2Ÿùù»¿}ôĞ0´°?DèRCÇ?VVN½¿dT“T9lÜ?u]N”	°?