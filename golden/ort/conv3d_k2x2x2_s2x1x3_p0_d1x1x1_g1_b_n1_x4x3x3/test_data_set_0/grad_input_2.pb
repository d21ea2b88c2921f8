
BB_gradJŽÂa¿Ç9¿~­e¿F x¿