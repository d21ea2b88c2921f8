
BB_gradJÎÐ
Av'QÁd]"¿