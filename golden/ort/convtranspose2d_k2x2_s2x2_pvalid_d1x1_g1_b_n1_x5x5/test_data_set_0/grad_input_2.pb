
BB_gradJÆ¡Äı>ÍY¿∏T^A