
BY_gradJ à Ý¾ðj¾ö;m?\Ëa?¦w?x¾?€#¿(yg¾