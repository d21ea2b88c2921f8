
Bfc.bias_gradJ(*c\¿2†T?TYÅ>ì‹>?eÖ¿?kö¾Wà¿ØUK¾ â…½ ü¾