BBJâ¾B¿woL¿–¨
?