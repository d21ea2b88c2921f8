
BB_gradJpkU>ÔÖ>†¿¿<öµ¾