
BB_gradJ°äO¾ˆ$H¾ø>ÀŽ©i¿