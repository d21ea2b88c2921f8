BW_gradJÈ†Afy1À
4A*h=Á4•€ÁY‡LÀ