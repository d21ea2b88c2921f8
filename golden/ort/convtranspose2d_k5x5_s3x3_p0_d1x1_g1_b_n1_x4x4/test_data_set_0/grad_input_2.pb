
BB_gradJþ±@H©¿6KÁmÀ