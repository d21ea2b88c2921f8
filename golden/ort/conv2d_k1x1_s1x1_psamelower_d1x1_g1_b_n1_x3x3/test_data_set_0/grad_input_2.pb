
BB_gradJÄ9?Ïπ-?	H@xﬂ@