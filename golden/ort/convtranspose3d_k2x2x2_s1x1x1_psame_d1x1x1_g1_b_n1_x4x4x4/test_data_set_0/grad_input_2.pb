
BB_gradJIŒ©Àdz¿@ì‚Ê@xð®À