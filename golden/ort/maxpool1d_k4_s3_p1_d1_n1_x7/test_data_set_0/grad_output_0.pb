
BY_gradJLÔ:?B;u¿ÄI¿ ß…¾