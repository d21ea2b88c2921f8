
BB_gradJLlÀ(š=ñzÀ€/Ç¼‹¥H@T=é>