
BB_gradJ§FAˆGQÀ50@e¼
Á