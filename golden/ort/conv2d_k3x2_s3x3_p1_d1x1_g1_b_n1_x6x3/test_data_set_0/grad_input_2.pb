
BB_gradJÂ!º?=DÀDà(À,R¿