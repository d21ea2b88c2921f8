
BW_gradJã]¿Z ¿8Kf¾\q¹>