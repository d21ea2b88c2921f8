
BB_gradJ	²/@˜bG¿”É¡¿¼GAÀ