
BB_gradJLä©@ e£½G/¿<ü?