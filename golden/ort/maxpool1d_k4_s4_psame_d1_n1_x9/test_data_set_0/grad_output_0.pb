
BY_gradJ²`I?Ö2? Y½Fj¿PdL¾Ž†[?