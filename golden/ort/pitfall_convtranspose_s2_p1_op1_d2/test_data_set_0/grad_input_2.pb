
BB_gradJ.@E$ÁZ¹t?