
B	input_varJ=}€?‡sK?‘n?