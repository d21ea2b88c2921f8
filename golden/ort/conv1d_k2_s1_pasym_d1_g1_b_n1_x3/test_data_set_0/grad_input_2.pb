
BB_gradJ¶ò?ÂvS¿¼ìº>è¶j¾