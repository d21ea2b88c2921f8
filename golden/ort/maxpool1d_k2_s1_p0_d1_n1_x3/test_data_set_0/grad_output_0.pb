
BY_gradJ~D¿¸—š>°qx¿„Kê¾