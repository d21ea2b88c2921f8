
B	input_varJÁ?}?%­?