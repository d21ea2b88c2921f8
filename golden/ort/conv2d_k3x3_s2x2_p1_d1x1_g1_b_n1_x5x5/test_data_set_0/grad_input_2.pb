
BB_gradJˆA@%A>ct’¿p‹½