
BB_gradJLîk@Aú¨À_û(@Pv½@