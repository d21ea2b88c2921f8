
BB_gradJ³óÏ?,[@X:B¿HŽ,>