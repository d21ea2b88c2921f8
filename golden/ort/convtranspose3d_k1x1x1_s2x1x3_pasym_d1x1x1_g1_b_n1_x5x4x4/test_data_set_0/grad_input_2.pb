
BB_gradJRî6@€cú½ª–AÆ4à@