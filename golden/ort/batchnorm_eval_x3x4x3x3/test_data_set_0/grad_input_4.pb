
Binput_var_gradJØ~ä@ÒN¿6»A¾»`,À