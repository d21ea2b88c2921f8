
BB_gradJàﬂz>HzH?Óqà?ê!æ