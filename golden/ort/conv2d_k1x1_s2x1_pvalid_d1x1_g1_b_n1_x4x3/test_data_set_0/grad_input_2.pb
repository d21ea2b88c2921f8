
BB_gradJk‚•?Ô@p
y¾Ô¸á¾