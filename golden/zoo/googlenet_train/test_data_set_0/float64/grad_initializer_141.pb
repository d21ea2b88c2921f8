B$inception4c.branch2.0.bn.weight_gradJ@ùdß·î¿ M_%Á?,yúğ­¿äQ$»Lq¿?
Ë<XìÉ¿²İ'®ü*Ş¿)O_ê &ï?z"Á:#Ï¿