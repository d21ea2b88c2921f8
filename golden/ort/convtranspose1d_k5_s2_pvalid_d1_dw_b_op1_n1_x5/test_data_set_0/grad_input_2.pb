
BB_gradJ¬#@h3_ÀP7ý¿¦'Ú?p•?gPŒÀ