
BB_gradJŒÑqÀNbÀ¦,œ?Vt‰¿