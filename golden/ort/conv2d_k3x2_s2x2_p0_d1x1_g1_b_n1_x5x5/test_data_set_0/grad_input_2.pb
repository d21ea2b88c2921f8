
BB_gradJr[d¿ÚÖÀ ´-¿ £I?