
BB_gradJşMJ?ôNÁao@è—Ì¿Haƒ¿åşÁ@