
BB_gradJlQÃ¿¸’?ªú?ðSI@brÀfD¦¿