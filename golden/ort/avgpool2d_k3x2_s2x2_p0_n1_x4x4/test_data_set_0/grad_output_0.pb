
BY_gradJ øw?´w¾py2¿ú:¿