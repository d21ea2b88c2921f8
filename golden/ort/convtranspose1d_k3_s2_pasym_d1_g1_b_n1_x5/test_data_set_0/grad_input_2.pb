
BB_gradJ$tฟสf?เปX>MÛฺฟ