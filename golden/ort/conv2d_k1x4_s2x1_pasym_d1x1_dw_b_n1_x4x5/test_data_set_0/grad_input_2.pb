
BB_gradJT#?tİÆ¿ü÷q? ƒ&=ğ@rŠGÀ