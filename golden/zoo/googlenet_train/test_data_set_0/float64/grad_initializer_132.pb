B"inception4b.branch4.1.bn.bias_gradJ ö¤#eÄ?Ñ¸³
½sÕ¿†)uÌGç?~6Ç5°¤¿