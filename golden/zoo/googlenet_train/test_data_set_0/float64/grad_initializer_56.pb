B$inception3b.branch2.1.bn.weight_gradJ`“QNeãÚ?Jy^Å_´?K°
şº? !\–ÉçÜ?È•YV»¿İö}IÚQÑ?æ®ùñ‘ª¿šUnMÙ?-tĞå¿V,1ñŠğ¿´Œ&àÀZà?Ê7ß6ßŞà¿