
BB_gradJD½,@BAÀ—›—?D;&@