
BB_gradJ<É•¿,äx?ú@\NA¿