
BB_gradJ‘µ?ðZ¿>0X¦=j´]¿