
BB_gradJ1LHÀ²!<Àè†š¾fh–@