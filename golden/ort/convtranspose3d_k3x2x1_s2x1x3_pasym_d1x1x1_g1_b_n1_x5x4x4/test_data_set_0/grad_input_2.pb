
BB_gradJhÕ}>~AÁ¸ä3¾PŸýÀ