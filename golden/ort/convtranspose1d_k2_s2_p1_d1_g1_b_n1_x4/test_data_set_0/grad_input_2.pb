
BB_gradJþ—»?på|¾m‰¿!Nç?