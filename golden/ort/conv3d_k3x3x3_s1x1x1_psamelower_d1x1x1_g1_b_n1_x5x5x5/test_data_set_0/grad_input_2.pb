
BB_gradJM]¡ÚgA§√AÑW¿