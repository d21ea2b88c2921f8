
BY_gradJ€ыXѕZќѕXЅС>јлиѕ