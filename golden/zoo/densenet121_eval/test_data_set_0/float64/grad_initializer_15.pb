
B2features.denseblock1.denselayer2.norm1.weight_gradJPØ¯-fMr?¡æ!Q!.ƒ?ezoÒ,†?7#ĞAx?ĞqJÜq?ÍWhx¡¾•?Öë£I’¿Š‚"‡£f?ÚI×S?`MU4?+Œ¿