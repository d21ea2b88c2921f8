
BB_gradJðE¹>}'@ä[Ñ¾Y:k@