
BB_gradJÔ55AÈ]«¾:x@tOŽ@