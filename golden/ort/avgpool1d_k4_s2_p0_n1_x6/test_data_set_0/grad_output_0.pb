
BY_gradJxNà>hm¿(->ŒÓ£¾