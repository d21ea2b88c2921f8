
BB_gradJwÚ?DÀÔÇ¸¿,TÀ