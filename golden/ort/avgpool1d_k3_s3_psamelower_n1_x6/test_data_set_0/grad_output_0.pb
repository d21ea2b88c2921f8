
BY_gradJ0¾U>h)g?Ì-¿ K>