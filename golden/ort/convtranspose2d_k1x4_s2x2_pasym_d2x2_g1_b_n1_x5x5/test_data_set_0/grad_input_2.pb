
BB_gradJ╪}юl╢╣>`Wv>аипю