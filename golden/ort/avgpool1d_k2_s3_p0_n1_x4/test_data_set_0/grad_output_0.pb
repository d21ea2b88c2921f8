
BY_gradJ, >Â*S?