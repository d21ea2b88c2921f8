
BB_gradJLw¨>ŠyÀ,ÿÀa“¨¿