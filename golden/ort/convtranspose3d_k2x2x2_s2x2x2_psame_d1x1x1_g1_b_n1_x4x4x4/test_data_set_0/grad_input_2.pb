
BB_gradJDşÀØ”IAÎe7À¹¤=A