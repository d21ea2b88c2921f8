
BB_gradJÀ@SÀÀ{5>ä
é¿xnJÀ