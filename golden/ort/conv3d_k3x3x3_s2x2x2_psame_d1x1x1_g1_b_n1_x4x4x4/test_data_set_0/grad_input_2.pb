
BB_gradJˆ¢>hL>:Ê? ø=