
BB_gradJ–C¿A?W†Œ?Äè¾?