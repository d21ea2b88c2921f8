B0features.denseblock3.denselayer6.norm2.bias_gradJ [ \hßÍ?í`ĞÁ«¿NÏØè‡²?Ç…
I²¿