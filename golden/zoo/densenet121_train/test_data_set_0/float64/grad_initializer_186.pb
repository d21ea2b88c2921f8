B1features.denseblock2.denselayer12.norm2.bias_gradJ †Ðø/Q¨u?ÒÎ¥ªÁ?Fõ
*3Á¿€ÙKÒbE?