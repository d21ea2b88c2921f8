
BY_gradJB-S?hâ>