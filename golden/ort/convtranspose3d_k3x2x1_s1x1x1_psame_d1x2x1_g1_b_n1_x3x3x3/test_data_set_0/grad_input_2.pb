
BB_gradJşJÜ?î5»¿bìEÀ