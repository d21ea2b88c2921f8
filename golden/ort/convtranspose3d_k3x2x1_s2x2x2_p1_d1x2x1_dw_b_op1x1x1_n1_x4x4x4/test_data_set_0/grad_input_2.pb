
BB_gradJ¡õrAû)°@.FAÂ'ª@çœA=ÅÝÀ