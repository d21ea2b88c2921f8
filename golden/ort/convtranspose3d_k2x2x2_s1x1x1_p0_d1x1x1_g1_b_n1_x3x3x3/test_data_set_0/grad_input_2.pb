
BB_gradJÈœÀs8œÀúvş@
ñA