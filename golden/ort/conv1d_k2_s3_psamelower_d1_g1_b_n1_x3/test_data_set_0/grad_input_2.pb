
BB_gradJ¹Ã>`èL=8Nr¾þH¿