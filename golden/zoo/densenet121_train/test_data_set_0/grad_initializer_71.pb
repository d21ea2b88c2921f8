
B0features.denseblock2.denselayer1.norm1.bias_gradJ()½€·Å½$$I½ †š½’Ê=œÏÒ¾0yˆ=¯J3¾@äÀ=C¾