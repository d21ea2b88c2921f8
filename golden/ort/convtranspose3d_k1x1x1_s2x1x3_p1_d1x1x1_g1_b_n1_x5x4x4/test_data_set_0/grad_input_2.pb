
BB_gradJ*πΐHονΏΈUΠ@,:3A