
BB_gradJPæ¾^³k¿ê½.g¿pÊä=Pc@¾