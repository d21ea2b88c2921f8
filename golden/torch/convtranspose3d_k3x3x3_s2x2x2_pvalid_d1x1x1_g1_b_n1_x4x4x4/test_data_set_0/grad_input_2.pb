BB_gradJÆMÂÀ¦+
B’S­ÁÓÇ@