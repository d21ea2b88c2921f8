BB_gradJ
‡CA®"lΐεά?€°@