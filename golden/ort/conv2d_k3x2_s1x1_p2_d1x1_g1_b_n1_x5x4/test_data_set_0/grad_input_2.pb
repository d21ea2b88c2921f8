
BB_gradJuÕ0@j0¿å‹¸@Bè^À