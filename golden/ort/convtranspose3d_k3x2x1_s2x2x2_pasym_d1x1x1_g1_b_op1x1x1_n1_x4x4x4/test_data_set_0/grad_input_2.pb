
BB_gradJ„ ‚¾±ú>,¹A