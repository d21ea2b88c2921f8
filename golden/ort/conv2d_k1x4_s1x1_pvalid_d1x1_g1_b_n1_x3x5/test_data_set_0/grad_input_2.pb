
BB_gradJ~‹¿Dá‡¾{	ÀÆ=e¿