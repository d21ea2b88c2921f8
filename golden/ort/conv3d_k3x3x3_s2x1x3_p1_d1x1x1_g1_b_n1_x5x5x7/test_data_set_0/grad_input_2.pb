
BB_gradJxύ¥ΎΟκΏ¦οσΏHH@