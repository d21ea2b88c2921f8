B2features.denseblock3.denselayer2.norm2.weight_gradJ Æ)¸gÕl?__[àó½?êlúç­š?
®Å‘)m‹¿