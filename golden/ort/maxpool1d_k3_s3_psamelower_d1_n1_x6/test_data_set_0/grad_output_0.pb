
BY_gradJ0 B¾Æ¿Ôr¿XÖæ¾