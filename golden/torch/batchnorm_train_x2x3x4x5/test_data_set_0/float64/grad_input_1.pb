B
scale_gradJRò7
¤Áþ?ÞÃ«Æ‹ô¿Q¯œü¤@