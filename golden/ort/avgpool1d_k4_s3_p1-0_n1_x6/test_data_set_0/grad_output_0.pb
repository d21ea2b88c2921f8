
BY_gradJ°Se>x´>ø£8¿1C?