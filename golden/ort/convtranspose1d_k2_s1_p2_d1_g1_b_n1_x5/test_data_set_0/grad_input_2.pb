
BB_gradJPcC>
4¿PÔ–=Ð,¿