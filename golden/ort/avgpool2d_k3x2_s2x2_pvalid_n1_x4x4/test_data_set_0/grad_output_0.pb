
BY_gradJ	¿ì¿z^S¿Lf$¿