
BYJX£Ù?`ÃiÀrtX?iît?