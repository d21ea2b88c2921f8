
BY_gradJ Œ5¿øÈ¾wk?ê»b¿úZ¿ÀxI=f‚+¿„R®¾