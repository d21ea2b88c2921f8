
BB_gradJwÏ¿€Wa½—³Œ?L|¿