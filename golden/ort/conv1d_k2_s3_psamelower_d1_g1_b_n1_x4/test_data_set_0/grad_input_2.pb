
BB_gradJêÄ¾ÄúŸ>Òwt?A¾