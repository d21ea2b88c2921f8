
BB_gradJV:D¿šJ¿«®?ƒâ»?