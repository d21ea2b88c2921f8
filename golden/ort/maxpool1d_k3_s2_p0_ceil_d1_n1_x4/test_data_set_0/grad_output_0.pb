
BY_gradJ°´z?€e?4¾a¿Ll¿