
BB_gradJâ¸¿”F¥?À†N¿nò@