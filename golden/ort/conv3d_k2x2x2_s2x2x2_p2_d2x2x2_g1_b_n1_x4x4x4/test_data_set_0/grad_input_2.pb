
BB_gradJfž+¿þÂ?àN¾