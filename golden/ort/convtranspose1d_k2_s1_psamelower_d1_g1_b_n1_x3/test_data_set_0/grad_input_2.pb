
BB_gradJnª5¿þUR?@Ý>Ênz?