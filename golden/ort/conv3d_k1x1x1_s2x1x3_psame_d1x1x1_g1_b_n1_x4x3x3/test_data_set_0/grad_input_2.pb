
BB_gradJÀ<ÿ¾)'ÀG²ˆ?nZs?