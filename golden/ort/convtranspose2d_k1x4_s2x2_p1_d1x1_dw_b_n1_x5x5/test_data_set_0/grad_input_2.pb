
BB_gradJH	öÀnsÁ?©Jï¿ÆÕÀCg@Lß@