
BY_gradJ(Ú?JV?h¢I¿ŒDä>