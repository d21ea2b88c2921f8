
BB_gradJB?C6Š@š	Ú¿^n´¿