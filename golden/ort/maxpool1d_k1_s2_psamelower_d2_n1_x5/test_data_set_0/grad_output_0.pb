
BY_gradJH’>>æ¾xC?ô?V‘c¿üO€>