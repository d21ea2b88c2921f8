
BB_gradJj6¤¿Hlš>¦œl¿Ôë>