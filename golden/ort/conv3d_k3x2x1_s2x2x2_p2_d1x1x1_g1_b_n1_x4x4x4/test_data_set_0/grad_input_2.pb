
BB_gradJÞãs?RÜAB¶6@