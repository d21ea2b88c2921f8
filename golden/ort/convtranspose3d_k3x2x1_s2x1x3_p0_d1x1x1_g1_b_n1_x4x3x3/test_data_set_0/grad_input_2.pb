
BB_gradJ[Fö@UÜA|æ¬À—ì*Á