
BB_gradJÔİ´?Y Í?•O?˜E¾