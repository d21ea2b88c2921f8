
BB_gradJ >nAþü,@¾§“@