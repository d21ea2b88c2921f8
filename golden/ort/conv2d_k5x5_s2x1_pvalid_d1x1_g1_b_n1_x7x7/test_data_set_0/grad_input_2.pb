
BB_gradJŠk¿ Gx½0e¾û9@