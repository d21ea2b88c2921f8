
BB_gradJ«ý>°q¾0Ã{¿ÀgV=¯d?<~m?