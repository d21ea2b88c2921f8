BB_gradJ•FAÉGQ¿50@eº
¡