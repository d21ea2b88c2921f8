
Bclassifier.1.bias_gradJ(	º¿ qÍ> ¹Û½|JÊ¿Mÿ½ÀØ›¾ÜÛê¾ânL¿ì¥U?Æ5>?