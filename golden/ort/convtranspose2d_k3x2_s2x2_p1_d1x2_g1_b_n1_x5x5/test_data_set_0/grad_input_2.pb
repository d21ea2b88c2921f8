
BB_gradJ
?z¿,I¿ o=Œ®ú¿