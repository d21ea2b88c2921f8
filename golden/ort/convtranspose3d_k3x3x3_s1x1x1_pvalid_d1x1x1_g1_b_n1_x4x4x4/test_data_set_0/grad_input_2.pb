
BB_gradJeéô@%öÀÀˆû_Àr>A