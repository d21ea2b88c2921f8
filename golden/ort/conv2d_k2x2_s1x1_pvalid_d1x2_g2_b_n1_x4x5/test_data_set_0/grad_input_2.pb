
BB_gradJ½‘f@84¹¾îì5¿PGÍ¾ )g½kñº¿