
BY_gradJˆI¾ğ¶n¿Pıİ¾° ?