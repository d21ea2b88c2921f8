
BB_gradJO¢â@Z(Anž:A?UŒ@