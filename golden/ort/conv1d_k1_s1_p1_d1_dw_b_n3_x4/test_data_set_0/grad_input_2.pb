
BB_gradJpÇ{@OP@Ü?ê”>`ãlΩÚ≥w¿