
BB_gradJÂ}UAf¶kAﬁ?ãè¡=∂¿N ¿