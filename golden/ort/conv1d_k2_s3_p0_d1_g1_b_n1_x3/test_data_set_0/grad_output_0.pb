
BY_gradJ%”>ºN¿,Á¿T›G¿