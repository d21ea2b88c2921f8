
BB_gradJ¶'j?Pô@¿&ª‡@z±@