
BB_gradJÑ'@†“{AG_v¿s’A