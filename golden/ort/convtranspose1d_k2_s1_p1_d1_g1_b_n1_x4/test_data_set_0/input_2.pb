
BBJyj­¾Xýq¿²mÍ¾U&¿