
BB_gradJ f=b»¥@z<¿G8Æ@