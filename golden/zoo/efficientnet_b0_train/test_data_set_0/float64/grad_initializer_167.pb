B"features.5.0.block.3.1.weight_gradJ@ÃĞèĞvgÜ¿	Úˆ3Ú¿
™wÀ’Û?Â6æÖšÂ?Ì4Öwğ¿˜$½Õ¿q/Ì¿$Ú¬–úØ¿