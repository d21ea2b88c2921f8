B0features.denseblock1.denselayer4.norm2.bias_gradJ ÈÁ<
& >0dÚ½ÑgÌ¾