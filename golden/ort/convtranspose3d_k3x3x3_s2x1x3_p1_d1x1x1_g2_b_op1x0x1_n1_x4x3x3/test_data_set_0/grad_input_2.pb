
BB_gradJr’ª¿.<@Ùùq¿Nú£@