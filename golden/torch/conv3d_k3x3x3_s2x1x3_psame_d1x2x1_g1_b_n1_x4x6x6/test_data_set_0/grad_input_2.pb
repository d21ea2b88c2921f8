BB_gradJ
Pc@Nx}øsﬂ0¿