
B2features.denseblock2.denselayer1.norm1.weight_gradJPà¢p[CÔ¿Üè*Ràí´?œ_1{£¿ü$ä½0Ğ?Q\;
²ø¸?mğî¾Ì¿qœ‘¼c¯Ë?@,[ ~+Í¿K±Š‰µÃ?ÏÖê2lÇ¿