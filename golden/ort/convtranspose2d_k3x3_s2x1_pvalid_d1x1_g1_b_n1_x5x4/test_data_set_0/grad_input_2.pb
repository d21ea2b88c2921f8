
BB_gradJš!T@l]¿ıuó@bÖ“@