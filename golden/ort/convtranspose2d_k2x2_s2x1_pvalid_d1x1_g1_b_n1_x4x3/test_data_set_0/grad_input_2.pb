
BB_gradJ26”¿;"?”ñª¾Dgm@