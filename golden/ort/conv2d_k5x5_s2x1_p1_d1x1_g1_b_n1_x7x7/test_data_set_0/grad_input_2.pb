
BB_gradJÀ+½±’¿HO5¾Ðæ¾