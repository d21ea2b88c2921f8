
Binput_var_gradJ½Ša¿|$W>P->|g)¾