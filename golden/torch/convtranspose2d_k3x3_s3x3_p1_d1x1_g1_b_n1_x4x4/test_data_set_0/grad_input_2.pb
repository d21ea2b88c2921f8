BB_gradJİG
Av‚¢¿^•ÁÀê84À