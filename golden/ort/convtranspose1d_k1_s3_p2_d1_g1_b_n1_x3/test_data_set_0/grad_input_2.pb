
BB_gradJfﬁjøz’øm†æNÀ?