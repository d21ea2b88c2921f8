
BY_gradJt`¿Ø?¾0ùy>p ö¾