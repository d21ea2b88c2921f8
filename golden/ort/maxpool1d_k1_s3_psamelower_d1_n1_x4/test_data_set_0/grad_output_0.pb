
BY_gradJ‚q<¿l¬h¿=U¾P(?