
BY_gradJ Qn?‚1y?²x$¿šd1?^PR¿šÝc?läç¾¾