
BB_gradJRsŞ¿¸u¿8–‹¾\hÂ¿