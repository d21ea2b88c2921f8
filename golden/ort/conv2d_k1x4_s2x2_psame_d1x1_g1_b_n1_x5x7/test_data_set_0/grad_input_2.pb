
BB_gradJ|—8ø&¡g@duh¿|pé¿