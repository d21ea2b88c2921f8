
BB_gradJ‚Œõ¿üz^@>Î–@p(A