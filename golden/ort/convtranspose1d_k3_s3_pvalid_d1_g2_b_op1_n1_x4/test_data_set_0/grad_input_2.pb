
BB_gradJ³i¹ÀFjŒÀÚ$–¿ğÃÅ½PmO?À,À