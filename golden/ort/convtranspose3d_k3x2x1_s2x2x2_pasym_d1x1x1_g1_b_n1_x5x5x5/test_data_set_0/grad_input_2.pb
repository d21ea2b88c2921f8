
BB_gradJøÙŞ¿Ø?®?Np@jĞÀ