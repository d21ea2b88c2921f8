B0features.denseblock2.denselayer4.norm2.bias_gradJ Ôeá`ÿ0¾?Ìp
ß¿8¼ê‚"Ë?ÖÈ¤²À¿