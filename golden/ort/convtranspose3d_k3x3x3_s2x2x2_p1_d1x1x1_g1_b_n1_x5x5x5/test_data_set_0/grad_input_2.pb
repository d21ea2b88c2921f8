
BB_gradJªi±@¶ 6AšJAˆŒ¹A