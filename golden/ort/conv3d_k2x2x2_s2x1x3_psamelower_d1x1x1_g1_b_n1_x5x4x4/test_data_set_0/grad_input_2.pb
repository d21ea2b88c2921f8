
BB_gradJè·?\”þ¿>DÀÿOy@