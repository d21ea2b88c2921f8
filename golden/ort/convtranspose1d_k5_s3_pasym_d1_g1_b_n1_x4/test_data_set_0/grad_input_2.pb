
BB_gradJ¢æ?wr¨?ê√•Ω_Xø