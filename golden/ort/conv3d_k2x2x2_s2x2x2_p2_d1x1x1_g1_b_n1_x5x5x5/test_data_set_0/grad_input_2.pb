
BB_gradJX—¾N"pÀ2(ğ¿èµ@