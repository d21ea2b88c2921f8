
BB_gradJä**¿ANp€?0:.¿