
BB_gradJ&ûÀvúÀLßq¿JYÔ?