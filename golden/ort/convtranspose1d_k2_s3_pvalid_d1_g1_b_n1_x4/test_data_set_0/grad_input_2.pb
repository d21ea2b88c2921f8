
BB_gradJhb?N@`,õ¿N˜ì¿