
BW_gradJ0/ôM<BI¼½±cX¾ÃÂí»S]Y=ÙÎù=fw¥<E¾ºÙ­¾tÆ¼İm5>J‚Ğ>