
BscaleJ`kÖ>O¿^ë¾