
B0features.denseblock1.denselayer2.norm1.bias_gradJP~6ıƒc¨{?ª¹ÏªzÏ?,¢õ_¤?c}–ïÛz?Òˆ'}Œ?mŞü«z?P²´™”™¿,éúĞ5Êx?X$ªwK?ÌmêÃRÇY?