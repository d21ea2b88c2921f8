BB_gradJ
²/@œbG¿”É¡¿½GAÀ