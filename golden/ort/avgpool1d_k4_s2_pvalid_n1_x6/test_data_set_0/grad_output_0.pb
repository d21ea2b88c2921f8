
BY_gradJ(z[¿ d?¶‰J¿>,"¿