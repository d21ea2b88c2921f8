
BB_gradJœ<Ú¾à4 =HB¸¾úÂ@@ÒR\@rØi¿