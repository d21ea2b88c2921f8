BB_gradJÌ:¿ZıQ?0§5¿`P
¾