
BY_gradJøYà>¨	¾pÅ@¿LâV¿ ´A½Æ\+¿