
BB_gradJ çi¿äLç¿DºÓ¿`w/>