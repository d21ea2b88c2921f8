B"inception3a.branch2.1.bn.bias_gradJ@ŠCm¢FïÜ¿{´cZ—ÀnAçóèò¿ZQPO
ÀĞÜÅH“ä?ğ˜%"â„ó¿ğ#|T‰;ğ?t¶0q¡Î×?