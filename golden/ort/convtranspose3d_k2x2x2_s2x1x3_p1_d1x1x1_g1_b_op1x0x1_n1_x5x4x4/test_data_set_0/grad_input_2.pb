
BB_gradJëAf‡A1Ÿ1À