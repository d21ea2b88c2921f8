
BY_gradJ¼¾ZÌ(?$Jñ>Tc¿