
BB_gradJt²Š@ù=zA°¡À¿ZA