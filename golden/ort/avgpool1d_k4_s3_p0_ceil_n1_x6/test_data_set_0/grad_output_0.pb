
BY_gradJ‡?Ê›:? D¿øZq¾