
BB_gradJäsg@¿«?‰Y`¿»oz@