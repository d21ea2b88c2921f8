
BY_gradJHìl?ğÆ×½–ŠW?ğÈ¾