
BB_gradJ¸Y‡ÀP
#A?å¿R¿