
BB_gradJ€ÏW@®"¿“TÐ?