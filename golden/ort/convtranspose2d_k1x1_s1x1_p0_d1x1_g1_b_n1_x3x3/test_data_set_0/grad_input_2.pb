
BB_gradJš´`? ì7=®?hòB¿