BY_gradJHTKU?Zaїа‹>XiLї~ЕSїё\?d4l?"/?дaї$Ьe?¤аф>c'їt7
?њЙ> yEїфжѕjxgїBцHї