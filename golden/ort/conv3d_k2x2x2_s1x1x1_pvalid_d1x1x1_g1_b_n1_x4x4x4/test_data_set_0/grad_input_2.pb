
BB_gradJÖª“À„)<@¬m‡@