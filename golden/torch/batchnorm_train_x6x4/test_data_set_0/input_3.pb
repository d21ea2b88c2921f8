B
input_meanJов…їЧЂ`>љН2їh`Гї