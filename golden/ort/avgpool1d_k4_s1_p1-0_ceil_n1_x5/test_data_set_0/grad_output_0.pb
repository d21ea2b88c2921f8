
BY_gradJ%#¿vU¿DáÇ> êc=
µr¿Žj?