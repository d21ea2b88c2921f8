
BB_gradJ¾¨|@jßL¿®^Ÿ@©n»¿