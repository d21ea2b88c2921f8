
BY1_gradJH;½¾Ôî{¿VÚq?æW-¿