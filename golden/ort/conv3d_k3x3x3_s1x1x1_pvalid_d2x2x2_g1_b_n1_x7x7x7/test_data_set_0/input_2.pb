
BBJP´¿úV?yy¾?