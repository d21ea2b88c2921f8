
BB_gradJ¸˜&?!Iª@8»C@n °?