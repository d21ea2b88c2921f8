
BY_gradJ–XN?/.?u¾@IK=