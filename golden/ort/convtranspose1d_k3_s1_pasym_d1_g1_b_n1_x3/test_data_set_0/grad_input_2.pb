
BB_gradJòÓMÀvˆ!¿s²> 1’½