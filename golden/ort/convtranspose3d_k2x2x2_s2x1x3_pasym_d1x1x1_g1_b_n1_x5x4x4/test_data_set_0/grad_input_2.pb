
BB_gradJ\D|@x4;ÀÈ#¼¿V‘8A