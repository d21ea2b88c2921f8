B
scale_gradJ ×Ë?3?§¿¶Âº>£Âi?