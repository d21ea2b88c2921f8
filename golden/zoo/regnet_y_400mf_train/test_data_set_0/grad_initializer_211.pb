 B.trunk_output.block3.block3-1.f.a.1.weight_gradJ€%½HÂZ¼ÌÜ¼=d<˜±¼±á3=’xC;IC{¼ƒ¨¼ãnA¼^A›¼Á—>=…Ê’=§æ¾jç¼Á€;"»a<ø4ª<i?/½
È¸»™ğ…»xÉ/½ÙWn=<Á;‡Ã¦¼(:¦ù==¤;gk$=İõÊ¼ØĞˆ¼Œğ=