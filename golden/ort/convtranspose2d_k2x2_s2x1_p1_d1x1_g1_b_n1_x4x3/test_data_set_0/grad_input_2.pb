
BB_gradJm	¿±Xç?¸À©>cÏ¿