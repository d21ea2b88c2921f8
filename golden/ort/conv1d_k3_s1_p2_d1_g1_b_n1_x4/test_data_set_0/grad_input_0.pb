
BX_gradJ0Ð Ö?vðY¿ž1D¿”,í>—•	@zqK¿RÈ‘>ÿXgÀqÑ<?\BÀh6?€ñT@