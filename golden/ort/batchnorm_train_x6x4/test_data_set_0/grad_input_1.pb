
B
scale_gradJ ×Ë?1?§¿¸Âº>¢Âi?