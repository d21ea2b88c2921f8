
BY_gradJˆ¥m>øX?Hx]¾À‡›>