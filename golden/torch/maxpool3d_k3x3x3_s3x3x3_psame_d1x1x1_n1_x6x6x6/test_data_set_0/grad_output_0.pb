BY_gradJ@0cë=2l2?Œkh¿
°?¶NB¿xpJ¾Î‹j¿¸aR¿ºþ0¿H8j?„?`;Ý¾à(C¿Hç¿VÝg¿|r?