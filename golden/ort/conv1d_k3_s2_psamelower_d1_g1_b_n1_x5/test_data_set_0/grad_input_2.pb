
BB_gradJHмI?јJ
їаi›ѕрЙcѕ