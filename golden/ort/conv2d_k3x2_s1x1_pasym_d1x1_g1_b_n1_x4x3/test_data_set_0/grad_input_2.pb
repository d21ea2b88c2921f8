
BB_gradJî“¿fê¾æıÖ?lÅOÀ