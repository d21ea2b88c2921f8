BB_gradJYW
а╙-%©ту|@Б≥ю