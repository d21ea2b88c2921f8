
BB_gradJdê‚Àpã?du‘¾ùe9ÀZh?GÃGÀ