
BX_gradJ &¢¾	¬¿¢î¼¾j¥¿Xb@>qñ?w
?p#¬>