B3features.denseblock3.denselayer16.norm2.weight_gradJ Æ?ã0™­¿åYªÃ{ú¡?iw½ôd.«?º~
›Õèš¿