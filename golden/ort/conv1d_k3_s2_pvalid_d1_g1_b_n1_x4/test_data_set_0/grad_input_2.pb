
BB_gradJˆ¥m>øX?Hx]¾À‡›>