
BB_gradJF†F¿R8@ ñQ=L;À