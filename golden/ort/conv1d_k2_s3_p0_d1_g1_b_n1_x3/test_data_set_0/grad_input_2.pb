
BB_gradJ%”>ºN¿,Á¿T›G¿