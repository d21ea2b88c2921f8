
BY_gradJ0Œ¾DI+? 5Ç½V‰Q¿