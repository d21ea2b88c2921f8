
BB_gradJËMÂÀ§+
B’S­Á„ÓÇ@