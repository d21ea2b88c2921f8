
BBJl©¿´Z½\s¶¿”hj¿