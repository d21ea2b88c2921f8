
BB_gradJú:oÀƒë?ØyO?É¶Œ¿U @…T?