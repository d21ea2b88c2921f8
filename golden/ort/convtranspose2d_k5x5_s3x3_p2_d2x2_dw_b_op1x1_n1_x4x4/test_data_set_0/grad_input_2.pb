
BB_gradJOÁ³úAB”À„Mr@\À	@