
BY_gradJ1?8+(¾pi¾ˆ¼D¿