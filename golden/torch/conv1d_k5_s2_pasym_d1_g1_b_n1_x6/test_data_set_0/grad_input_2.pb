BB_gradJpÎ>
iº¿ê×ˆ?”ð?