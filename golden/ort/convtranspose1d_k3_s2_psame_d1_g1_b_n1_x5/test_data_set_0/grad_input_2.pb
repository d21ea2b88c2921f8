
BB_gradJÄ€ƒ>HÞ#ÀX¯O¾å+¤?