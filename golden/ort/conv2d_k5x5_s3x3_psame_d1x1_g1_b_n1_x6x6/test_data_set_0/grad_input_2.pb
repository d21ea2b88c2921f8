
BB_gradJZÈP?@>¹<1ó?lXº?