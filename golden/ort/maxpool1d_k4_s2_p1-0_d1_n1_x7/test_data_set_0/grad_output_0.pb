
BY_gradJ¼¾à"M?În%¿`ÓW?^ÒO?x¨G?