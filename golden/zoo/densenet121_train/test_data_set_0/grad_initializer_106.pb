B0features.denseblock2.denselayer4.norm2.bias_gradJ(Fñ=Üû¾F
Y>ts¾