
BY_gradJDC¿bÌp¿(ãO¿€ş½<jq¿´¾