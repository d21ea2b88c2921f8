
BY_gradJbb?`ë ¾8-N¿”È¿