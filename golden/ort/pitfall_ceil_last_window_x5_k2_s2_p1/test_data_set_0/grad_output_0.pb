
BY_gradJлчx?H▐j©┬б╤>