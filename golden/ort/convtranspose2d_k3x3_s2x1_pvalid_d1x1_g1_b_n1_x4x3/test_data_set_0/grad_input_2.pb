
BB_gradJKƒ@¨}À>Q…@b}À