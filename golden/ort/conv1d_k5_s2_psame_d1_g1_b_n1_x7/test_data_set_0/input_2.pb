
BBJtn¿æáÁ¾Î•?TwM¾