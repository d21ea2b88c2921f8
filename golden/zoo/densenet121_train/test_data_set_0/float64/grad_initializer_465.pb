B2features.denseblock4.denselayer3.norm2.weight_gradJ hâf§a8?¥äW®0¿M›~4'¿h
lL¡U	?