
BX_gradJ @Y=xSำ=ิศ>\#พTzพ่Cะพ๗gพJ<พ