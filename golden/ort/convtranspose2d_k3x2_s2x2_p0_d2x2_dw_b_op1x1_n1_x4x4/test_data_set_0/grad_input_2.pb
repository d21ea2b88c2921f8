
BB_gradJ®Ap.«¿ õ‹À~S_AlQ´¿¸@