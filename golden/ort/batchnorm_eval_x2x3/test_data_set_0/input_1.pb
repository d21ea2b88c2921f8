
BscaleJ³iƒ?ÚY=Wâ¿