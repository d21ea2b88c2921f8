Bstage3.1.branch2.1.bias_gradJ@‡)M@º¨¹?Ø;'À½¸V¿
’¾¬X¿«w>^¯>L·h¾1>V¿+%Ñ?,X=à 7¿’ä	?@ÈB½_äÅ>