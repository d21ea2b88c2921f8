
BB_gradJB'/Àæõ‡¿à_¾pq¢¿