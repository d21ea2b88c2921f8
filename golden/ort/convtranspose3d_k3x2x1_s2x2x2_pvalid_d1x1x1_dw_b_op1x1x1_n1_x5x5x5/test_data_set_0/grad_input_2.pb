
BB_gradJHãBf8Æ¡z3#Bı≠@Aú(‹¿nV•¡