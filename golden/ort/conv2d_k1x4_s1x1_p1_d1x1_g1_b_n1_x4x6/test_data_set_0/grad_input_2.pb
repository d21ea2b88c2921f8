
BB_gradJşÚ'À¿÷â¿Fû?<Jp¿