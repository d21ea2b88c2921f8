
BB_gradJp˜°¿‚½p@VYˆÀ8ð¿