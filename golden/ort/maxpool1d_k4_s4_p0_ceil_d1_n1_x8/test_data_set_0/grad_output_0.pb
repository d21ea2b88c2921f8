
BY_gradJXe¾€ÊC=fç
¿tÆ¿