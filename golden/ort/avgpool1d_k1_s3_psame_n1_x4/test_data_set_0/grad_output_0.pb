
BY_gradJH├└>Rd?ПоY©n'©