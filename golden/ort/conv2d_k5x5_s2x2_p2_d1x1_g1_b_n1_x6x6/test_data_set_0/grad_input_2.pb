
BB_gradJ¶Ü*?<í?¾gÞ?WhÀ