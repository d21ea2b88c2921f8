BB_gradJ¼
°?Îc@§ŠÞ¿H¥j>