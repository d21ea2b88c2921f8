
B2features.denseblock1.denselayer2.norm1.weight_gradJPùv{˜:]È¿œH[vÂ¿Ûäãk½Û¿üN}ÑĞ¿HŒŸóLƒá?Ç¶ºL¡êÙ?C³ùlHw¸?9Æ×ÿ,ßà?º$ixò¿êôš3¸¿