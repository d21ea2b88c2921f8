
BB_gradJCN“Aq)A@Š¿”Øn?