
BYJ+ù•>ÛÁD?SoA>ðzH¼