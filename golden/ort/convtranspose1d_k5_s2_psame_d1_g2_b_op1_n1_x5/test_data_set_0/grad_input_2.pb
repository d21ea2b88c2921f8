
BB_gradJ„ï,?4=Z@€ªš<¤f¾¾J¹v¿c¢¿?