
BX_gradJ0¤Pß?e[$¾A˜U?É^A>øu!?s¦¨¿NbL?A—>¹ˆ¿—ã~¿Öte¿nw?