
BB_gradJ“ΩÖ¿∑‰¿Çl+A§D¿