BB_gradJ
K ¿$¼—¿¾*N@mÒ?