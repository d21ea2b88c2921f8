
BB_gradJÈ\õÀÎœòÀî	Ag²A«ÛlÁÇAÀ