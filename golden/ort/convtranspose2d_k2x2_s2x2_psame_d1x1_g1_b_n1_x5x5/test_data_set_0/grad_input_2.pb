
BB_gradJjbQA’AÝH@˜ºú¿