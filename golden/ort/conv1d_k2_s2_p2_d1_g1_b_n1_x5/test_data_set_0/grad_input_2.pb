
BB_gradJD´Š¾Pñ±= Á>ëâ?