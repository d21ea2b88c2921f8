
B	input_varJ4`?F3®?œ#?