
BYJ½Ga>cD%?„'D¾K?