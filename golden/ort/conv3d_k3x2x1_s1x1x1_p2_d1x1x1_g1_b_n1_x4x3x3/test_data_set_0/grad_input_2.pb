
BB_gradJ˜õ0?JAGÁ;Ğ#A‹ÂóÀ