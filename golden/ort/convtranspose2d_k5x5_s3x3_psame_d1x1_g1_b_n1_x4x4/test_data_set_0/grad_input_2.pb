
BB_gradJçdAÀˆt¿ôêAFV)Á