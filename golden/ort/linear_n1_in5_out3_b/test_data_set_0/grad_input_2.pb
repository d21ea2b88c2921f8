
BC_gradJŠ@V¿(ƒ¹¾Œã¾