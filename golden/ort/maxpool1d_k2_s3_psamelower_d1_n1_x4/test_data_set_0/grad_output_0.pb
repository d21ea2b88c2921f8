
BY_gradJèJñ¾t–n?Ho¾œ—@¿