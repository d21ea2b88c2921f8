
BB_gradJ´z¨>hx¿˜Ž¿ÐÎ$¿