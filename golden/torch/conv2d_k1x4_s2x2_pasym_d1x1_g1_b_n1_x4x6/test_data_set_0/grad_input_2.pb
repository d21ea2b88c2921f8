BB_gradJ
HcÀ¸ÿ@>O¿¿°ê<@