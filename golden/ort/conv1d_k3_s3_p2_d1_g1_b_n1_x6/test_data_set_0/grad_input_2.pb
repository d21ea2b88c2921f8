
BB_gradJNh?†~V¿Ž¾?8Lé>