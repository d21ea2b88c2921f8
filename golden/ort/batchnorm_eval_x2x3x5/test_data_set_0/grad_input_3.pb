
Binput_mean_gradJcHÍ½Éê¼b^™>