
BB_gradJrÀ¸AGÀ%¦Š¿Î†¢?