
Binput_var_gradJE¿¦¶C<Å=