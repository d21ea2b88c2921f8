
BB_gradJÜBÃ¾²Û"¿ ª„½`XI?