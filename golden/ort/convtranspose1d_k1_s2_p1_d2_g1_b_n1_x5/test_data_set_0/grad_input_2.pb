
BB_gradJ@pY>æ'Ú¿'¦©?ôYð¿