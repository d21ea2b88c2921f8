B2features.denseblock2.denselayer2.norm2.weight_gradJ ­‰¯ È‚Ó?5ŠÑ;Ş0×¿¾t
‡×¿,­˜à×?