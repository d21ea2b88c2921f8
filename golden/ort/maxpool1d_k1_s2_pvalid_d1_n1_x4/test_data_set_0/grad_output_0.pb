
BY_gradJü£¿hB?xnh¾Ä8æ¾