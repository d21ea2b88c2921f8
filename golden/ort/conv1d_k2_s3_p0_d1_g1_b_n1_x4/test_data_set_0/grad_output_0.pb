
BY_gradJä¬¾ºD¿<À]?TA¿