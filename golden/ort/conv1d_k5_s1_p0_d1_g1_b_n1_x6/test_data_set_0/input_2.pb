
BBJHÊŸ¾nAˆ>BÇ¿EO±¾