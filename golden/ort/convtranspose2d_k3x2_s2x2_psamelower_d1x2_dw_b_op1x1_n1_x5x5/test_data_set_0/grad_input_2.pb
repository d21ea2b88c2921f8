
BB_gradJ`=N$ÀzÔß?ÝE@(ö>?dM"Á