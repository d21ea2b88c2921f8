
BB_gradJPÀ€Lô¾öKu@šüÓÀ