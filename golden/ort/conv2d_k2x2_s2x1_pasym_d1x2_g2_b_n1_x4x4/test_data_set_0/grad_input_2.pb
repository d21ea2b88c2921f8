
BB_gradJV(Ø¿vgÊ?4x@v	‚?¥<Àc¡?