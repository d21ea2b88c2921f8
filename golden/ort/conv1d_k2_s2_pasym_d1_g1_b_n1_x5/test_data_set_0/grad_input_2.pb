
BB_gradJ!¹?`»=XpW>¶)Ÿ?