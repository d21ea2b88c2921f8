
BB_gradJ¬ª¿"yE?ð›u¾ô°.?