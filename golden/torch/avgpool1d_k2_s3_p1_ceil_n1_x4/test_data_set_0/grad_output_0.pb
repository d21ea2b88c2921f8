BY_gradJFs?l?€
p?Àb¹>