
BB_gradJx¢OAJZ¾/şÁ¦#–@