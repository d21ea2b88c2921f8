BB_gradJ
Ğ¿üBA¿ÖºA?6H	À