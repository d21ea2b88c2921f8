
BB_gradJv6@ê‰SÀm*}@u°AÈT½À¿AÎ¿