
BB_gradJZW
а╛-%©ту|@Б≥ю