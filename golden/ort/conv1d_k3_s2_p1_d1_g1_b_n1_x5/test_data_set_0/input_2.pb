
BBJsO¾WQ¿¾SX?Mˆ=