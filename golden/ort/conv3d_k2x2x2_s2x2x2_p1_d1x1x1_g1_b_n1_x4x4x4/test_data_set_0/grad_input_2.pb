
BB_gradJ0Kä¿ô]@hl¾ğÓ9¾