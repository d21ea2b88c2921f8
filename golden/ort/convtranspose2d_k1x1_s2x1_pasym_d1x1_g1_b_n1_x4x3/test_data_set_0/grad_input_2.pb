
BB_gradJ^÷@ÆP¿Wb…?`éo?