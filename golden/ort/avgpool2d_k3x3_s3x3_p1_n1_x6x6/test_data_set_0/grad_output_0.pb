
BY_gradJ ^ІПNїSПЄ0?ziJПHEJ>Јbp>:ї?ъбn?