
Binput_var_gradJ,Õ¿\!i=¸V
¿