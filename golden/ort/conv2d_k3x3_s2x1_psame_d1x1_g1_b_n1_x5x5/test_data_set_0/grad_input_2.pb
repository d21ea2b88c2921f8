
BB_gradJ<F®>†n?D0Àûaÿ¿