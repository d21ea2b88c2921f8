
BB_gradJğØSAşú7@lQıÀKØ¬@