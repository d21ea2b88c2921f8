
BW_gradJÐ#½ûø>–Wz?Dçs¿LÂ	¿U]z?