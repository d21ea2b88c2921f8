
BB_gradJàG…¾ñöş?òeQ?ù„Ê¿