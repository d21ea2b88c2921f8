
BB_gradJ€ë{=bbj¿ÐO@a@