
BY_gradJúK?¦tG¿~Ig?Ð~²=