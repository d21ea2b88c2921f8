
BB_gradJØ¿"›$Àºëp@Je>