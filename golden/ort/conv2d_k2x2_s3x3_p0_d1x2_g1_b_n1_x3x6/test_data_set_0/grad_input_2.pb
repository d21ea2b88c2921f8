
BB_gradJLÙˆ¾¬bt¿€œ½Z±a?