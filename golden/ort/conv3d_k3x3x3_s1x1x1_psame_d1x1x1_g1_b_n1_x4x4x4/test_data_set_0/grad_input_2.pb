
BB_gradJBÆB¿ñdŠ¿s‘?