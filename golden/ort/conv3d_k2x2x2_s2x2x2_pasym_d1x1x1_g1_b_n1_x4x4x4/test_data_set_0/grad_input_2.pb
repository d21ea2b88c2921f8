
BB_gradJÍ‡SÀg*Àöœ@Bõ@