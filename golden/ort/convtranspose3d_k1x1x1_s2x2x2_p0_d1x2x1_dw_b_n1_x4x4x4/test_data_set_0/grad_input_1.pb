
BW_gradJÆ8Ú?mﬁ@JHO¿ﬁOE@Õ[w@à@