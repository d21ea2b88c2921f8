
BB_gradJ­_†À®ºÚ@Z¯¿¬AVÀ