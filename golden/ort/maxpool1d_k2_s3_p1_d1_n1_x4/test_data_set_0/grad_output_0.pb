
BY_gradJd¿ŒÏ¿pËÔ>n2¾