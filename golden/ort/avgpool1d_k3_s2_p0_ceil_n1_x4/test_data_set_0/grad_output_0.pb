
BY_gradJÁ|>àdJ¿ jè=>´"?