
BB_gradJЖRX?Ж	юд	/@Юг╬