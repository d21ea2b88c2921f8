
BBJÃ“u¿8~y?÷?zld¿