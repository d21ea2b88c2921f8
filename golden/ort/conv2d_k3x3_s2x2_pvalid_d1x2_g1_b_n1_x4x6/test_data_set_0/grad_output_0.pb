
BY_gradJˆwG?¸÷¬>T(¿LŸp¿