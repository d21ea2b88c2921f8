
BB_gradJht@#0ÁL4…¿u©À