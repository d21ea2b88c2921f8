
BY_gradJ`‘‘=‘n∞>0p”Ω‡DOæ