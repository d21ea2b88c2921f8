
BB_gradJJ„Á…ÆğÀJ”Î@¶BUÀ