
BY_gradJl¤/¿,×¿Öëw¿æfb¿8
W¿›Š¾