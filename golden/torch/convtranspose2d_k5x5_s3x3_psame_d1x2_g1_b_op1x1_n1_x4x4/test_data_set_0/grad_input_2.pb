BB_gradJÃ@SÀÀ{5>è
é¿|nJÀ