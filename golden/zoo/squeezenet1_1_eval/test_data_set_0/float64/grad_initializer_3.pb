Bfeatures.3.squeeze.bias_gradJ#AÉG
l‚¿õf;
Gœ§?