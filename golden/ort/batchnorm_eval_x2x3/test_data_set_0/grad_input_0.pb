
BX_gradJ½î
?Tš$=WRÈ¾ÓÛ*?sO2=Â¾½