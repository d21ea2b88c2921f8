
BBJ¨(C¿¸ZW?÷.d>\ R¾