
BB_gradJR60¿W?®Ï¬¿³c¬?