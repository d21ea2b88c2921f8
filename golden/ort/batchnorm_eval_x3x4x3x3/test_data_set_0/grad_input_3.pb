
Binput_mean_gradJHö¿ƒß´?í4"?bEgÀ