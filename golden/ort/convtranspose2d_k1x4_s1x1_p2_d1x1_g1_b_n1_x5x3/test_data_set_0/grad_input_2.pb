
BB_gradJ@Ñ|=pÞª>HZŽ?®L{?