B2features.denseblock1.denselayer3.norm1.weight_gradJ`rùoP4º?SÃiLä¿+…ÿÌqØÀ¿1‚c"ÓÀ¿À]ò¬™È²?Étø
Ğ?Ğí·7Ç¿Ø×¨—şH‘¿–<âìÍ>Ø? –ÌúÑ¿^Ô‰z—øÛ?ÂÖ*Dâè?