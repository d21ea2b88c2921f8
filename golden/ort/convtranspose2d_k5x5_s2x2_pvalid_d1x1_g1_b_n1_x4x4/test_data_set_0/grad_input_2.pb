
BB_gradJÈ´jAÌXÀ !â¿E3”À