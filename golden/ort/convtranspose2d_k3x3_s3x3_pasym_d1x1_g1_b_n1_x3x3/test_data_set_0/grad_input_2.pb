
BB_gradJf«W¿à+´ÀÈhâ¿HK]À