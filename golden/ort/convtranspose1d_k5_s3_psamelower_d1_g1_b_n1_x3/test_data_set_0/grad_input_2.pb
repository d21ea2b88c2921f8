
BB_gradJๅห้?nmlฟBฏ?HHT>