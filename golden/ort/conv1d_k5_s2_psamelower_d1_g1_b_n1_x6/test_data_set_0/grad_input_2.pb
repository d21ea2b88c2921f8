
BB_gradJ YI¾Hˆ>(ä>üjC?