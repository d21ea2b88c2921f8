
BB_gradJŒ
Ğ¿üBA¿ØºA?6H	À