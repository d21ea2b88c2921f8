
B
input_meanJ@t½?;Á?©¯«?