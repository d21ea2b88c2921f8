
Bfc2.bias_gradJ(Â
R¿¨@R¾}¼¿D¹í>tü“¿ám¯¿¢ì¿u¯’? Z?=Xµ¾