
BB_gradJôt™A>Ô"Àß‡#AÂ¬À