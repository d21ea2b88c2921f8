
BY_gradJªx.?¸¾>