
BB_gradJè×:Á"AIgÀ¹ÏÁ