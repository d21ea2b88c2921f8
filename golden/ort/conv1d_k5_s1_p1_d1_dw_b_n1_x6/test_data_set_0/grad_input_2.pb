
BB_gradJ÷¿š}@Utõ?²I[¿ Zz>€35>