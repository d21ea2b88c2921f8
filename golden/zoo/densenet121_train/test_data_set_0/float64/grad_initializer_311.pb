B1features.denseblock3.denselayer12.norm2.bias_gradJ ¼E!S'Ä?ó-lÌ-ì¿?x‡ü
İ°¿L(—*B6p?