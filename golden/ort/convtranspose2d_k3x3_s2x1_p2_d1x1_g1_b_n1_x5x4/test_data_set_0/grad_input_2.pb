
BB_gradJœH¿Qq@h´Í?¼¸§¿