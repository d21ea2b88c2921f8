
BscaleJŠ)‰¾›ƒp¿