
BB_gradJ*Í@W¦Ê¿2µ?j,@