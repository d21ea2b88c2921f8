
BY_gradJ¸Ír¿°*ü>ÂøB?XPÆ¾