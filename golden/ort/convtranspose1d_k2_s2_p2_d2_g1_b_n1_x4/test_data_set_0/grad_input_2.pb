
BB_gradJ\¿•“­?p+B¿„øW¿