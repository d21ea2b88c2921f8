
BB_gradJ&¥M¿`ŒW@ppÕ>'ˆ¿