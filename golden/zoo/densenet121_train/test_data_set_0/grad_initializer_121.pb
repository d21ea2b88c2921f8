B0features.denseblock2.denselayer6.norm1.bias_gradJPóÉâ=şn¾Î#¾<
D=ô>E½f¾›¼Hÿ¾=ÔP‘½²lÎ½ÄÆ =pt¾Ğ3’¾@\i¼0;4Ut=˜|ä;x e>Ìp%¾$Œ?<¼f›¼