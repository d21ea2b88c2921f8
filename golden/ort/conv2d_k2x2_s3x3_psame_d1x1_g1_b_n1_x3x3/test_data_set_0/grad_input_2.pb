
BB_gradJ ð½¾Xüß>¾Õ?p¿