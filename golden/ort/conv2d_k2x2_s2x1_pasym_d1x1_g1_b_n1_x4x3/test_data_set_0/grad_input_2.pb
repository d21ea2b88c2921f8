
BB_gradJx$E¿®o¾T5_Àð©4¾