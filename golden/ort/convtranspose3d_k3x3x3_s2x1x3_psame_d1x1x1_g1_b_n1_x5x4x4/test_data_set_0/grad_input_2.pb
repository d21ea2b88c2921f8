
BB_gradJB‡A+_ñ@ˆHÀ¶-À