
BB_gradJ f¡∞‡?¢_¿¿by@