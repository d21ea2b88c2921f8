
BB_gradJÉVÀg"–¿Y•>z[ ¿