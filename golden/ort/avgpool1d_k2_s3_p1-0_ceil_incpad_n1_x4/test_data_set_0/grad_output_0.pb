
BY_gradJ.vw?`y¿¤úA?µ¾