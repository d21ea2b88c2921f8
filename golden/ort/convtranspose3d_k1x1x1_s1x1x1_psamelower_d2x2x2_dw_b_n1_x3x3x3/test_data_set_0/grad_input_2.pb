
BB_gradJàaÀdŸÀåRá¿ü£1Àä¬á@¥V	A