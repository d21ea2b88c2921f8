
BY_gradJ€ L¿þ“¿Ä(R?Æzt¿