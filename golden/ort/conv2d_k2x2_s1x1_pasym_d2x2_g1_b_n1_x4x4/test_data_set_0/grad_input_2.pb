
BB_gradJ<pî?`<}¾R‘&¿q2@