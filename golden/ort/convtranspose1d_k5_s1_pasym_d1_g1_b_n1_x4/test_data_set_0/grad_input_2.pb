
BB_gradJÑ	q@h(A¿l‹Ò¾J×Â¿