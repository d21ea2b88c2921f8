
BY_gradJ0”7Ñ>ÞHi¿V”i?Ðþ|¾r`¿2QI?HÓ-¿´¸g¿ÐöŒ=LF+?R? Ü¾=