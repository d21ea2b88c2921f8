
BB_gradJ¦4ÀPOÀÀd¿Ôù¿