
BB_gradJ€¼qY”?ä &¿¯z¾