
BB_gradJx]ï?ÞcË¿Tr“>üÀ