BB_gradJú«GÀ>qf¿
÷k¿ì"IÀ