
BB_gradJöz¿Rz5¿\‚Ñø,ﬁ°¿