
BB_gradJRˆÀcA\µùÀ³¯@Jx@lî"¿