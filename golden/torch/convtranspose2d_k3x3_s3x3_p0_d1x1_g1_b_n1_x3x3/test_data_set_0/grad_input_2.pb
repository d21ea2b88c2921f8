BB_gradJ·Y‡ÀQ
#AAå¿P¿