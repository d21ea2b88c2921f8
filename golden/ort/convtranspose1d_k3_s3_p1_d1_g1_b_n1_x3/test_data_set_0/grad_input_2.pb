
BB_gradJ *Àˆv¥¾\z @jîÀ