B inception4c.branch1.bn.bias_gradJ@®Œ÷%ŠÆ¼?è¿ıÏøDº?*šPó(V°?
W4Î°_£?â¢.ÎVÃ?«8,¤º?¢
Á©‡à¿BrGVÁÆ?