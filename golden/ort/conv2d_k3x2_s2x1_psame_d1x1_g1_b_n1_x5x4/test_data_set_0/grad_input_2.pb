
BB_gradJם²פ¿ÏDÀ¦ÌOÀקהKÀ