B2features.denseblock2.denselayer4.norm2.weight_gradJÁ‰>mƒ¾ûÄÚ½òT
=