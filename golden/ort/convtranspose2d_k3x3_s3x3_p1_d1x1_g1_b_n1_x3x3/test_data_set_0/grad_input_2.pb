
BB_gradJšYu¿ÀPø<ä¤Àzo‹@