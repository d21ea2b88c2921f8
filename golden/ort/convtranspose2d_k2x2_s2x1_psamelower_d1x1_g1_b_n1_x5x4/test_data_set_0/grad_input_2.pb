
BB_gradJ¾„F@sİÁ H–?¬¶@