
BB_gradJ‘›ð¿‹æš@(4D@qD’@