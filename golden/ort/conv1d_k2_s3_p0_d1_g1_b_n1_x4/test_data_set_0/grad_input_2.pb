
BB_gradJä¬¾ºD¿<À]?TA¿