
BB_gradJ…h¾ÂÚJ?òíº@ê>r@