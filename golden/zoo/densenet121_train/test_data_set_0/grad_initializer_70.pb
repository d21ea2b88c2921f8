
B2features.denseblock2.denselayer1.norm1.weight_gradJ(kñ¡¾˜§=¯½ß>„œÇ=¿Ýe¾	O]>Õ.i¾€}>ÊD;¾