B
input_meanJ.O ?TyB¿Ö9‘?