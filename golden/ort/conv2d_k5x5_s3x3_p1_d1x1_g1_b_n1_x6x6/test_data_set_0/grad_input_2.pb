
BB_gradJtY¿žóf?(^>d´>