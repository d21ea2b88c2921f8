
BB_gradJKÉ°Àòô?lhÀ5zŸ?