
BB_gradJF£r¿È0v>°Z¿ÂØ?