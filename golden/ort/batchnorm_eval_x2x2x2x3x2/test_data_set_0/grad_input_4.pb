
Binput_var_gradJÑB_¾5!á¿