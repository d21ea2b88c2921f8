
BB_gradJxY¿"7?,”Ì>FO?¶¥>p#¿