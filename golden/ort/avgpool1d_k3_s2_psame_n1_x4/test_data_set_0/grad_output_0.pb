
BY_gradJ„wŞ¾€¿q<È÷Y¿L~'¿