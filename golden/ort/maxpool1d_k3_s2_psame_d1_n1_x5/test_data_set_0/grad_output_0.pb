
BY_gradJÀc|¿xÀ³>n;K¿6õm¿$Š?Ty5?