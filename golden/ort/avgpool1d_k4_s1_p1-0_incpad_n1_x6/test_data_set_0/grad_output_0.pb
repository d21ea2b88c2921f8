
BY_gradJ <¼w¿ür<¿b	L?‚®W?˜UÅ>D¿zN?P¿