
BBJV“=Cm£?r´¡¿JV?FÈÍ>XÙœ>