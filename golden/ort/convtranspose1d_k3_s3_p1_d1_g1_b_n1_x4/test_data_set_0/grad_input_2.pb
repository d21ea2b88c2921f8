
BB_gradJX?Hm!?ZD@z.¿