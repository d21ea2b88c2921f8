
BB_gradJˆwG?¸÷¬>T(¿LŸp¿