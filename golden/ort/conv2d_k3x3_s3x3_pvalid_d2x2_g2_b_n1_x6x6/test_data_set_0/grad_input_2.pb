
BB_gradJ,1K?(˜2?ì¿Ö0P¿ÐtC>xâj¾