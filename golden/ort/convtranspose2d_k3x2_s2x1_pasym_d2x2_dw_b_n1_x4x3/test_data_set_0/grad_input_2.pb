
BB_gradJş’Š@vu$?ÔÊ¾xi@¿ú`=ÀOcÀ