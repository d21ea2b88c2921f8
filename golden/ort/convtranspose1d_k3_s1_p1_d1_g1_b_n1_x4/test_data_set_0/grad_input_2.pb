
BB_gradJXT*¾ÿ@Ö@ ?pİ ¾