B2features.denseblock2.denselayer9.norm2.weight_gradJ A¦z
éÄ¿uw`©Ğ×Â?	-`\©¿j:şª¹“?