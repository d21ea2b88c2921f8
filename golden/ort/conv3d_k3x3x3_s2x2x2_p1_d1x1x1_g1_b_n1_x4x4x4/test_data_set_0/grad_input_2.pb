
BB_gradJ†ËSÀÈèw¾ÚN¿â\’¿