
B2features.denseblock1.denselayer2.norm1.weight_gradJ(╝─B╛е╛m╢▌╛Ч!А╛┼?ьG╧>ос├=┴┘?;Р┐╬┼┴╜