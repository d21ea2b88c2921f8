
BB_gradJCò„¿S•©¿8)Á>h¤œ¾