
BB_gradJOûQ@¦?Aß<¼@Ü±?