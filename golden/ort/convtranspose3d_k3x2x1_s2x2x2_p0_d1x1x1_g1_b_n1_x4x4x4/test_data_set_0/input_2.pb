
BBJSB	Àã’V¿Ç#Ô¿eBª?