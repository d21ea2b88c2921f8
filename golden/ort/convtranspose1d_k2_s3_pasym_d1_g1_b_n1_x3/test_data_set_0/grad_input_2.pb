
BB_gradJrd„¿Ö?zï?xšù¾