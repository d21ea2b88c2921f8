B3features.denseblock4.denselayer14.norm2.weight_gradJ Ìq¸
²É¸‘†·#^8