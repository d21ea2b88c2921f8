
BB_gradJ¶—®ÀAÍãAl½dÀ3EÁ