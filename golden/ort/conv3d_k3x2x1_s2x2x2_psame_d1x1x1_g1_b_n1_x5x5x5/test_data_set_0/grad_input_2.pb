
BB_gradJºHp?ÿyˆÀ,õk¿‹øÀ