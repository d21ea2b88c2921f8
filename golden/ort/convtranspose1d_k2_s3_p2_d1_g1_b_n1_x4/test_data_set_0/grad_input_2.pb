
BB_gradJ»s ø‹e/?ƒo•>Ëd…?