
BB_gradJK ¿%¼—¿¿*N@mÒ?