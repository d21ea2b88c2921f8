
BB_gradJj¸?°××>‹æ?