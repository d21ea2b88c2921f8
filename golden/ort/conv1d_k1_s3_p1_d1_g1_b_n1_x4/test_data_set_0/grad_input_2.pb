
BB_gradJ¬Å¾øBØ?È£B>0MÈ?