
BB_gradJ„“¿¨’@ÔTkÁpÃV¿šq‰@mGÁ