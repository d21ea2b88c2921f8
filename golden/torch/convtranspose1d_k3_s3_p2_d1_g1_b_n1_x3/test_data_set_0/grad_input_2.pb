BB_gradJzì¡¿ipÀè”
¿Ü_@