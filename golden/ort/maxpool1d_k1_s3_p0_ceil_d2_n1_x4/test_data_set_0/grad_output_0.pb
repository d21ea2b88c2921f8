
BY_gradJ$S?äÍ>T>j*?