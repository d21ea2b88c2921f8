
BY_gradJr¿PF¿*İ¾Î%?