
BY_gradJ n¾½ü&¾Àðg¾PÃ>