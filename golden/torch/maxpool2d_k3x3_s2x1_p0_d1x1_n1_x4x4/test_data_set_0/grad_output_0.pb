BY_gradJμXg?`f
=ςΓ>άεbΏ