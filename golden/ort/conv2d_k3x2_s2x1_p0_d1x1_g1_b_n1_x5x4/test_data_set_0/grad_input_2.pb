
BB_gradJ ^Ë>	x¿à±±¾zN5?