
BB_gradJK‡’@NÅ6ÀZ~ä?6Ú>À