
BBJWN¿r†/=FR?º?