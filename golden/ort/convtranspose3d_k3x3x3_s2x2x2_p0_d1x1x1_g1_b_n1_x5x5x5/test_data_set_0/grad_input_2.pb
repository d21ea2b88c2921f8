
BB_gradJ½¦wÁøÆ²AC‘AGA