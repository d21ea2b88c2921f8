
BB_gradJØµQ¿d.ÀMæ«@7I?