
BB_gradJqLÌ?°Åz?$šÂ?øTd¿