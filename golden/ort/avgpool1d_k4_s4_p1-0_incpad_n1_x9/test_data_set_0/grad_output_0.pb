
BY_gradJˆª¾ÈWW>8x>¸©>