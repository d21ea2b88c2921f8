
BB_gradJa:ŸÀ<}¯>U ?Vò@