
BY_gradJªg? xa¿€s`>Ü£™¾Ð¿¾D'¿