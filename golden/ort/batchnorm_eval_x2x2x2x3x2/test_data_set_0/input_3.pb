
B
input_meanJàùä>x-ê?