
BB_gradJP¢¼ÀAõ¿p,˜¾sX]À