
BW_gradJÇ†Afy1À
4A*h=Á4•€ÁS‡LÀ