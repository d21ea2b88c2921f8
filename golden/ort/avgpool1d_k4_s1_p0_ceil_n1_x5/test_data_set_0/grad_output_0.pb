
BY_gradJˆL	¿‘Ç½f÷%?Ð½O¿