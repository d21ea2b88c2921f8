
BB_gradJ]Îa@\{À8g¸>