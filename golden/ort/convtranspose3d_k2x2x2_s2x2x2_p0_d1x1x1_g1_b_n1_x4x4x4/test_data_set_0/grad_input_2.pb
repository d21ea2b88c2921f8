
BB_gradJjıA 	¿CøÂ@§÷DÁ