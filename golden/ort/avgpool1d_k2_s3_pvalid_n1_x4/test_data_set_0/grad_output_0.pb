
BY_gradJŒ§V¿Xøg>