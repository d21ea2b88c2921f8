
BB_gradJr¿PF¿*İ¾Î%?