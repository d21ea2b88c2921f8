
BB_gradJR<ö?È!Æ?hŒ;¾B{3?