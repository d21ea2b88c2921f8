
BB_gradJZ	¿†kæ∫Ê¡Ú+A